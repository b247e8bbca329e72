import pytest

from portal.seal.issuing import DESCRIBERS, DocumentDescription, register_describer

from .helpers import MEMO


@pytest.fixture
def memos():
    """The tests' own document kind: its describer reads this dict (revoked / gone object ids)."""
    state = {"revoked": set(), "gone": set()}

    def describe(document):
        if document.object_id in state["gone"]:
            return None
        revoked = document.object_id in state["revoked"]
        return DocumentDescription(
            title=f"测试文件 {document.object_id}",
            current=not revoked,
            status="已撤销：测试" if revoked else "",
            details=("第一党支部书记 张三 签署",),
        )

    register_describer(MEMO, describe)
    yield state
    DESCRIBERS.pop(MEMO, None)
