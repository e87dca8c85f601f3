from PySide6.QtGui import QImage

from silverdesk.cli import build_parser
from silverdesk.services import demo
from silverdesk.ui.screenshots import render_all


def test_every_screen_and_form_is_rendered(qtbot, services, tmp_path):
    demo.generate(services.ctx, people=300, activities=1500)
    files = render_all(services, tmp_path / "shots", tmp_path / "state.ini")
    names = {f.stem for f in files}
    assert {
        "01_dashboard",
        "02_people",
        "05_activities",
        "09_settings",
        "10_person_new",
        "13_activity_edit",
        "15_party_org_edit",
        "16_person_errors",
        "09b_settings_lists",
        "09c_settings_backups",
        "09d_settings_audit",
        "09e_settings_security",
        "09f_settings_units",
        "50_first_run",
        "51_unit_new",
        "08b_pivot",
        "08c_pivot_drill",
    } <= names
    market = {
        "20_market_shelf",
        "21_market_shelf_resources",
        "22_market_orders",
        "23_market_resources",
        "24_order_manual",
        "25_order_from_match",
        "30_resource_new",
        "31_demand_edit",
        "32_certificates",
        "33_certificates_honour",
        "40_market_ratings",
        "41_market_points",
        "42_star_rule",
        "43_star_rule_history",
        "44_points_award",
        "46_points_redeem",
    }
    assert market <= names
    assert "09g_settings_themes" in names
    assert len(files) == 26 + len(market) + len(
        [n for n in names if "_order_step_" in n or n in ("34_order_withdraw", "45_star_manual")]
    )
    image = QImage(str(tmp_path / "shots" / "01_dashboard.png"))
    assert image.width() >= 1200 and image.height() >= 700


def test_screenshot_command_is_on_the_command_line():
    args = build_parser().parse_args(["screenshot", "--db", "x.sqlite", "--out", "shots", "--scale", "1.5"])
    assert (args.command, args.out, args.scale) == ("screenshot", "shots", 1.5)
