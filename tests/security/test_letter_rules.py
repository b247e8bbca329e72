"""The letter rules that back up the lifecycle, asked on rows edited directly.

"One person never signs both sides" holds through the lifecycle (the branch
signs before the committee), and also where the rows say otherwise: a
committee signature written into an issued letter by a database edit does not
let its signer sign for the branch too.
"""

import pytest
from django.utils import timezone

from portal.access import actor_for
from portal.rules import allowed
from responsibility import services
from responsibility.models import LetterSignature
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_committee_signer_never_signs_for_the_branch_whatever_the_rows_say(world):
    f.appoint_signers(world.committee, 2020, first=world.leader, branches={world.branch: world.leader})
    office = actor_for(world.office)
    letter = services.letter_issue(actor=office, letter=services.letter_create(actor=office, branch=world.branch,
                                                                                  year=2020))
    leader = actor_for(world.leader)
    assert allowed(leader, "letters.sign", letter)  # the control: before any signature, they may
    LetterSignature.objects.create(letter=letter, role=LetterSignature.Role.COMMITTEE, signer=world.leader,
                                   signer_name="书记", signed_at=timezone.now(), image=b"", body_sha256=letter.body_sha256)
    letter = type(letter).objects.get(pk=letter.pk)
    assert letter.status == "issued"
    assert not allowed(leader, "letters.sign", letter)
