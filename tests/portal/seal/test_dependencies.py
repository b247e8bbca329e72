"""pyHanko brings lxml along; the ledger's workbooks must still be parsed through defusedxml."""


def test_openpyxl_keeps_defusedxml_although_lxml_is_installed():
    import lxml  # noqa: F401 - installed as pyHanko's dependency
    import openpyxl

    assert openpyxl.LXML is False and openpyxl.DEFUSEDXML is True
