"""银龄超市 — the shelf of cards, orders, the two lists, 星级与积分 and certificates."""
