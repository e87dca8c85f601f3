from openpyxl import load_workbook

from silverdesk.ui.people.screen import PeopleView


def test_export_the_current_view_with_its_visible_columns(qtbot, ui_ctx, county, tmp_path):
    for name in ("张建国", "李桂兰", "王德明"):
        ui_ctx.services.people.create({"name": name, "unit_id": county["street"]})
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.count_label.text() == "共 3 人", timeout=10000)
    view.table._toggle_column(3, False)  # 身份证号 hidden: not exported
    target = tmp_path / "名单"
    ui_ctx.ask_save_path = lambda *_args: str(target)
    view.export()
    qtbot.waitUntil(lambda: bool(ui_ctx.notices), timeout=10000)
    assert "已导出 3 行" in ui_ctx.notices[-1]
    rows = list(load_workbook(tmp_path / "名单.xlsx", read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "出生日期") and "身份证号" not in rows[0]
    assert [r[0] for r in rows[1:]] == [view.model.record(i).name for i in range(3)]


def test_the_roster_leaves_the_office_masked_unless_the_clerk_says_otherwise(qtbot, ui_ctx, county, tmp_path):
    import datetime as dt

    from silverdesk.domain.idcard import make_id_number

    id_number = make_id_number("370402", dt.date(1956, 3, 1), 123)
    ui_ctx.services.people.create(
        {
            "name": "张建国",
            "id_number": id_number,
            "phone": "13812345678",
            "address": "光明路街道龙头路社区3号楼2单元401室",
        }
    )
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.count_label.text() == "共 1 人", timeout=10000)
    for column in range(len(view.model.columns)):
        view.table._toggle_column(column, True)  # every column, the address too
    assert view.unmask.isVisibleTo(view) and not view.unmask.isChecked()

    def export(name: str) -> dict[str, object]:
        ui_ctx.ask_save_path = lambda *_args: str(tmp_path / name)
        view.export()
        qtbot.waitUntil(lambda: name in "".join(ui_ctx.notices), timeout=10000)  # 已导出 1 行到 …
        header, row = list(load_workbook(tmp_path / name, read_only=True).active.iter_rows(values_only=True))
        return dict(zip(header, row, strict=True))

    masked = export("外发.xlsx")
    assert masked["身份证号"] == id_number[:4] + "*" * 10 + id_number[-4:]
    assert masked["联系电话"] == "138****5678" and "401" not in str(masked.get("家庭住址", ""))
    view.unmask.setChecked(True)
    full = export("内部.xlsx")
    assert full["身份证号"] == id_number and full["联系电话"] == "13812345678"
