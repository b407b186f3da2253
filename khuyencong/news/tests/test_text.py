"""The body is sanitised with an explicit allow-list; plain text becomes paragraphs."""

from khuyencong.news.text import clean_body, plain_text


def test_plain_text_becomes_paragraphs_and_is_escaped():
    assert clean_body("Dòng một\ndòng hai\n\nĐoạn <hai>") == "<p>Dòng một<br>dòng hai</p><p>Đoạn &lt;hai&gt;</p>"


def test_scripts_handlers_and_foreign_tags_are_removed():
    dirty = ('<p onclick="x()">Tin <strong>mới</strong><script>alert(1)</script></p><iframe src="//x"></iframe>'
             '<img src="http://x/y.png" onerror="z"><a href="javascript:alert(1)">bấm</a>'
             '<a href="https://congthuong.vn/a" style="color:red">nguồn</a>')
    clean = clean_body(dirty)
    assert "script" not in clean and "onclick" not in clean and "iframe" not in clean and "<img" not in clean
    assert "javascript" not in clean and "style" not in clean
    assert "<strong>mới</strong>" in clean
    assert '<a href="https://congthuong.vn/a" rel="noopener noreferrer nofollow">nguồn</a>' in clean


def test_plain_text_of_the_body():
    assert plain_text("<p>Một &amp; hai</p><p>ba</p>") == "Một & hai ba"
