"""Ctrl+P on a list screen: paginated pages with the header on each, masked by default, previewed."""

import datetime as dt

import pytest
from pypdf import PdfReader

from silverdesk.domain.idcard import make_id_number
from silverdesk.ui.main_window import MainWindow
from silverdesk.ui.tasks import TaskRunner
from silverdesk.ui.widgets.print_preview import PrintPreview


@pytest.fixture
def shown(monkeypatch):
    """Opened preview dialogs, instead of blocking in exec()."""
    dialogs: list[PrintPreview] = []
    monkeypatch.setattr(PrintPreview, "exec", lambda self: dialogs.append(self) or 0)
    return dialogs


def _window(qtbot, services, ui_ctx, finish_tasks) -> MainWindow:
    window = MainWindow(services, runner=TaskRunner(), state=ui_ctx.state)
    window.ctx.notify = ui_ctx.notify
    qtbot.addWidget(window, before_close_func=lambda w: finish_tasks(w.ctx.runner))
    return window


def _pdf_text(qtbot, dialog: PrintPreview) -> list[str]:
    """The pages once the preview has laid them out (it says how many)."""
    qtbot.waitUntil(lambda: dialog.status.text().startswith("共 "), timeout=10000)
    return [page.extract_text() for page in PdfReader(dialog.path).pages]


def test_ctrl_p_prints_the_filtered_people_list_page_by_page(
    qtbot, services, ui_ctx, finish_tasks, county, shown
):
    id_number = make_id_number("370402", dt.date(1956, 3, 1), 123)
    services.people.create({"name": "张建国", "id_number": id_number, "phone": "13812345678"})
    given = "春夏秋冬梅兰竹菊松柏"
    names = [f"李{a}{b}" for a in given for b in given][:79]
    for name in names:
        services.people.create({"name": name, "unit_id": county["town"]})
    window = _window(qtbot, services, ui_ctx, finish_tasks)
    window.go_to("人员")
    people = window.current()
    qtbot.waitUntil(lambda: people.count_label.text() == "共 80 人", timeout=10000)
    window.print_action.trigger()
    dialog = shown[-1]
    pages = _pdf_text(qtbot, dialog)
    assert len(pages) >= 2 and dialog.document.pageCount() == len(pages)
    assert all("姓名" in page and "身份证号" in page for page in pages), (
        "the header row repeats on every page"
    )
    text = "".join(pages)
    assert "人员名单" in text and "共 80 条" in text and "张建国" in text and names[-1] in text
    assert id_number not in text and id_number[:4] + "*" * 10 + id_number[-4:] in text
    assert "13812345678" not in text and "138****5678" in text

    dialog.full.setChecked(True)  # an internal copy: full numbers
    text = "".join(_pdf_text(qtbot, dialog))
    assert id_number in text and "13812345678" in text

    people.unit.set_value(county["town"])  # filter: only 龙山镇's people
    qtbot.waitUntil(lambda: people.count_label.text() == "共 79 人", timeout=10000)
    window.print_screen()
    text = "".join(_pdf_text(qtbot, shown[-1]))
    assert "龙山镇" in text and "共 79 条" in text and "张建国" not in text


def test_printing_an_empty_list_says_so(qtbot, services, ui_ctx, finish_tasks, shown):
    window = _window(qtbot, services, ui_ctx, finish_tasks)
    window.go_to("队伍")
    window.print_screen()
    assert shown == [] and ui_ctx.notices[-1] == "列表为空，没有可打印的行"


def test_a_list_too_long_to_print_is_refused_with_advice(tmp_path):
    from silverdesk.errors import UserError
    from silverdesk.reports.list_pdf import MAX_ROWS, write_list_pdf

    with pytest.raises(UserError, match="请先筛选"):
        write_list_pdf(tmp_path / "x.pdf", "人员名单", ["姓名"], [6], iter([]), total=MAX_ROWS + 1)
    assert not (tmp_path / "x.pdf").exists()


def test_ctrl_p_on_the_market_prints_the_list_found_the_orders_and_a_points_statement(qtbot, services, ui_ctx,
                                                                                      finish_tasks, county,
                                                                                      shown):  # fmt: skip
    from silverdesk.ui.market.screen import DEMANDS, ORDERS, RATINGS, SHELF

    r = services.resources.create
    r({"title": "社区义诊", "area_unit_id": county["community"], "provider_text": "县医院退休医生组"})
    r({"title": "法律咨询服务", "area_unit_id": county["community"]})
    demand = services.demands.create(
        {
            "title": "老年人健康义诊",
            "requester_unit_id": county["community"],
            "contact_name": "王芳",
            "contact_phone": "13812345678",
        }
    )
    order_id = services.orders.create(demand, title="")
    pid = services.people.create({"name": "张建国"})
    services.points.adjust(pid, 12, "补记2026年10月义诊服务", dt.date(2026, 11, 1))
    services.points.redeem(pid, 5, "兑换理发服务", dt.date(2026, 11, 10))
    window = _window(qtbot, services, ui_ctx, finish_tasks)
    window.go_to("资源与需求")
    market = window.current()

    market.tabs.setCurrentIndex(2)
    market.resource_list.search.setText("义诊")
    market.resource_list.reload()
    window.print_screen()
    text = "".join(_pdf_text(qtbot, shown[-1]))
    assert "资源清单" in text and "搜索“义诊”" in text and "社区义诊" in text and "法律咨询服务" not in text

    market.tabs.setCurrentIndex(DEMANDS)
    window.print_screen()
    text = "".join(_pdf_text(qtbot, shown[-1]))
    assert (
        "老年人健康义诊" in text and "13812345678" not in text and "138****5678" in text
    )  # masked by default

    market.tabs.setCurrentIndex(ORDERS)
    qtbot.waitUntil(lambda: market.orders.count_label.text() == "共 1 张", timeout=10000)
    window.print_screen()
    text = "".join(_pdf_text(qtbot, shown[-1]))
    assert services.orders.get(order_id)["code"] in text and "订单" in text

    market.tabs.setCurrentIndex(RATINGS)
    market.ratings.tabs.setCurrentIndex(1)  # 积分存折
    window.print_screen()
    assert "请先输入姓名并从提示中选择一人" in ui_ctx.notices[-1]  # nobody chosen yet: nothing to print
    count = len(shown)
    market.ratings.points.choose_person(pid, "张建国")
    window.print_screen()
    assert len(shown) == count + 1
    text = "".join(_pdf_text(qtbot, shown[-1]))
    assert "积分存折" in text and "张建国" in text and "积分余额 7 分" in text
    assert "补记2026年10月义诊服务" in text and "+12" in text and "兑换理发服务" in text

    market.tabs.setCurrentIndex(SHELF)
    assert market.print_source is None  # the shelf prints as it looks
