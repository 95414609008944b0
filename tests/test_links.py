"""The built site's internal links and anchors (generator/site/links.py), checked before it is published."""

from __future__ import annotations

from markupsafe import Markup

from generator.site import render
from generator.site.links import check

from conftest import VALID_INITIATIVE


def page(site, name: str, body: str) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


def test_missing_pages_and_anchors_are_found(tmp_path):
    page(tmp_path, "index.html", '<a href="a/">a</a> <a href="a/#muc-1">ok</a> <a href="a/#khong-co">x</a> '
                                 '<a href="b/">b</a> <a href="#top">same page</a> <a href="https://example.org/">out</a> '
                                 '<a href="../../etc/passwd">escape</a> <link rel="stylesheet" href="css/x.css">')
    page(tmp_path, "a/index.html", '<h2 id="muc-1">Mục 1</h2> <a href="../">up</a> <a href="../a/#muc-1">self</a>')
    page(tmp_path, "404.html", '<a href="/a/">root</a> <a href="/c/">missing</a>')
    found = {(b.page, b.href) for b in check(tmp_path)}
    assert found == {("index.html", "a/#khong-co"), ("index.html", "b/"), ("index.html", "../../etc/passwd"),
                     ("index.html", "css/x.css"), ("404.html", "/c/")}


def test_a_broken_link_fails_the_build_and_keeps_the_old_site(corpus, run_cli, project, tmp_path, monkeypatch):
    corpus.add("duong-hoa", VALID_INITIATIVE)
    site = tmp_path / "site"
    code, out, err = run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
    assert code == 0, out + err
    before = (site / "index.html").read_bytes()
    # Records can no longer link inside the site (a story links out only), so a broken link
    # comes from a page the generator got wrong: here, every story gains one.
    corpus.add("duong-hoa", VALID_INITIATIVE + "story: Xem thêm.\n")
    real = render.story_html
    monkeypatch.setattr(render, "story_html", lambda text: real(text) + Markup('<a href="../khong-co-trang-nay/">x</a>'))
    code, out, err = run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
    assert code == 1 and "Traceback" not in out + err
    assert "ho-so/duong-hoa/index.html: liên kết '../khong-co-trang-nay/' hỏng" in err
    assert (site / "index.html").read_bytes() == before and (site / "ho-so" / "duong-hoa" / "index.html").is_file()
    assert not site.with_name("site.new").exists()


def test_an_unreadable_link_is_broken_not_a_crash(tmp_path):
    page(tmp_path, "index.html", '<a href="//[::1">v6</a> <a href="http://[::1/x">v6</a>')
    assert {(b.href, b.reason) for b in check(tmp_path)} == {("//[::1", "địa chỉ không đọc được"),
                                                             ("http://[::1/x", "địa chỉ không đọc được")}
