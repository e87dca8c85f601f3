from openpyxl import load_workbook

from silverdesk.ui.views.people_view import PeopleView


def test_export_the_current_view_with_its_visible_columns(qtbot, ui_ctx, county, tmp_path):
    for name in ("张建国", "李桂兰", "王德明"):
        ui_ctx.services.people.create({"name": name, "unit_id": county["street"]})
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.reload()
    view.table._toggle_column(3, False)  # 身份证号 hidden: not exported
    target = tmp_path / "名单"
    ui_ctx.ask_save_path = lambda *_args: str(target)
    view.export()
    rows = list(load_workbook(tmp_path / "名单.xlsx", read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "出生日期") and "身份证号" not in rows[0]
    assert [r[0] for r in rows[1:]] == [view.model.record(i).name for i in range(3)]
    assert "已导出 3 行" in ui_ctx.notices[-1]
