"""Use cases over the database: plain Python, no Qt.  The GUI and the CLI both call these.

One package per feature, named as a clerk names the work: ``people`` (人员), ``org`` (单位, lists,
队伍, 党组织, 阵地), ``activities`` (活动), ``market`` (银龄超市), ``importing`` (导入), ``statistics``
(统计与报表), ``system`` (备份, 日志, 安全) and ``demo`` (试用数据).  Beside them: :mod:`.base` (the
context, auditing, generic CRUD every service shares), :mod:`.hub` (all services of one open
database, built lazily) and :mod:`.table_export` (any list to .xlsx).  See docs/architecture.md.
"""
