"""银龄超市 — 资源清单 and 需求清单, matching, 订单, 星级 and 积分存折, certificates, list exports."""
