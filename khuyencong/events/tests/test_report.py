"""The administrative format of the mission report (NĐ 30/2020)."""

import datetime

from khuyencong.events.report import place_date_line


def test_place_and_date_line_pads_days_below_ten_and_months_one_and_two():
    assert place_date_line("Lai Châu", datetime.date(2016, 12, 12)) == "Lai Châu, ngày 12 tháng 12 năm 2016"
    assert place_date_line("Lai Châu", datetime.date(2016, 12, 6)) == "Lai Châu, ngày 06 tháng 12 năm 2016"
    assert place_date_line("Bình Dương", datetime.date(2018, 2, 25)) == "Bình Dương, ngày 25 tháng 02 năm 2018"
    assert place_date_line("Bình Dương", datetime.date(2018, 5, 25)) == "Bình Dương, ngày 25 tháng 5 năm 2018"
