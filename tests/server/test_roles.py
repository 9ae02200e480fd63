"""Practice accounts on SQLite and on PostgreSQL: the first account is an admin, passwords are
argon2 hashes, each role may do what the issue says and no more (refused inside the change's
own transaction, nothing written), and every change names its user and workstation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import (
    audit_trail,
    delete_encounter,
    list_encounters,
    load_encounter_record,
    save_encounter_version,
)
from encoder_app.errors import EncoderError
from encoder_app.practice.fee_schedule import load_fee_schedule, set_fee
from encoder_app.practice.pick_lists import list_pick_lists, save_pick_list
from encoder_app.practice.sample import sample_practice
from encoder_app.practice.setup import load_practice, save_practice
from encoder_app.practice.types import PickItem, PickList, PickSection
from encoder_app.users.accounts import (
    SignInRefused,
    add_user,
    list_users,
    set_active,
    set_password,
    set_role,
    sign_in,
)
from encoder_app.users.roles import PermissionDenied
from encoder_app.users.trail import practice_trail, workstation_name

VISIT = {"date_of_service": "2026-05-04", "patient": {"name": "Ruth Calloway", "sex": "F"}}


def visit(*diagnoses: str, name: str = "Ruth Calloway"):
    return parse_encounter({**VISIT, "patient": {"name": name, "sex": "F"},
                            "diagnoses": list(diagnoses)})


@pytest.fixture
def office(backend):
    """An admin, a coder and a front desk, each signed in."""
    add_user(backend, "Ann", "admin", "ann-password", who="set-up")
    ann = sign_in(backend, "ann", "ann-password")
    add_user(backend, "Mary", "coder", "mary-password", ann)
    add_user(backend, "Fred", "front-desk", "fred-password", ann)
    return (backend, ann, sign_in(backend, "MARY", "mary-password"),
            sign_in(backend, "fred", "fred-password"))


def test_the_first_account_must_be_an_admin(backend):
    with pytest.raises(EncoderError, match="first account must be an admin"):
        add_user(backend, "Mary", "coder", "mary-password")
    assert list_users(backend) == []
    add_user(backend, "Ann", "admin", "ann-password")
    assert [(a.name, a.role, a.active) for a in list_users(backend)] == [("Ann", "admin", True)]


def test_passwords_are_stored_as_argon2_hashes_and_checked(backend):
    add_user(backend, "Ann", "admin", "ann-password")
    with backend.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$") and "ann-password" not in stored
    for name, password in (("ann", "wrong-password"), ("nobody", "ann-password")):
        with pytest.raises(SignInRefused, match="wrong user name or password"):
            sign_in(backend, name, password)
    assert sign_in(backend, " ANN ", "ann-password").role == "admin"


def test_front_desk_creates_encounters_but_cannot_change_codes_or_delete(office):
    engine, _ann, mary, fred = office
    opened = save_encounter_version(engine, visit(), user=fred)  # the day's visit, no codes
    with pytest.raises(PermissionDenied, match=r"Fred \(front-desk\) may not change the codes"):
        save_encounter_version(engine, visit("E11.9"), opened.id, fred, if_version=1)
    with pytest.raises(PermissionDenied, match="Fred"):
        save_encounter_version(engine, visit("E11.9", name="Jo Doe"), user=fred)
    assert load_encounter_record(engine, opened.id).snapshot.diagnoses == ()
    # The front desk may still correct the patient's name on it.
    save_encounter_version(engine, visit(name="Ruth M. Calloway"), opened.id, fred,
                           if_version=1)
    coded = save_encounter_version(engine, visit("E11.9", name="Ruth M. Calloway"), opened.id,
                                   mary, if_version=2)
    assert coded.version == 3
    with pytest.raises(PermissionDenied, match="may not delete encounters"):
        delete_encounter(engine, opened.id, fred)
    assert len(list_encounters(engine)) == 1
    trail = [(a.user, a.field) for a in audit_trail(engine, opened.id)]
    assert ("Fred", "patient.name") in trail and ("Mary", "diagnoses[1]") in trail


def test_only_an_admin_changes_the_practice_fees_pick_lists_and_accounts(office):
    engine, ann, mary, fred = office
    pick_list = PickList("Front office", (PickSection("Visits", (
        PickItem("99213", "Office visit, established", "CPT"),)),))
    for who in (mary, fred):
        for change in (lambda w: save_practice(engine, sample_practice(), w),
                       lambda w: set_fee(engine, "99213", Decimal("80.00"), who=w),
                       lambda w: save_pick_list(engine, pick_list, w),
                       lambda w: add_user(engine, "Eve", "admin", "eve-password", w),
                       lambda w: set_role(engine, "Fred", "admin", w)):
            with pytest.raises(PermissionDenied, match=f"{who.name} \\({who.role}\\) may not"):
                change(who)
    assert load_practice(engine) is None and load_fee_schedule(engine).entries == ()
    assert "Front office" not in list_pick_lists(engine)
    assert [a.name for a in list_users(engine)] == ["Ann", "Fred", "Mary"]
    assert sign_in(engine, "fred", "fred-password").role == "front-desk"
    save_practice(engine, sample_practice(), ann)
    set_fee(engine, "99213", Decimal("80.00"), who=ann)
    set_fee(engine, "99213", Decimal("85.00"), who=ann)
    save_pick_list(engine, pick_list, ann)
    changes = {(c.subject, c.before, c.after): c for c in practice_trail(engine)}
    assert ("fee 99213", "80.00", "85.00") in changes
    assert ("practice.name", None, sample_practice().name) in changes
    assert any(s.startswith("pick list 'Front office'") for s, _b, _a in changes)
    assert {(c.user, c.workstation) for c in changes.values()
            if not c.subject.startswith("user ")} == {("Ann", workstation_name())}


def test_nobody_signed_in_is_refused_once_the_database_has_accounts(office):
    engine, *_ = office
    with pytest.raises(PermissionDenied, match="has user accounts: sign in"):
        save_encounter_version(engine, visit("E11.9"), user="someone at the desk")
    with pytest.raises(PermissionDenied, match="sign in"):
        save_practice(engine, sample_practice())
    assert list_encounters(engine) == []


def test_a_switched_off_or_demoted_account_stops_at_its_next_change(office):
    engine, ann, mary, _fred = office
    opened = save_encounter_version(engine, visit(), user=mary)
    set_role(engine, "mary", "front-desk", ann)  # on another workstation, while Mary works
    with pytest.raises(PermissionDenied, match=r"Mary \(front-desk\)"):
        save_encounter_version(engine, visit("E11.9"), opened.id, mary, if_version=1)
    set_active(engine, "mary", False, ann)
    with pytest.raises(PermissionDenied, match="switched off"):
        save_encounter_version(engine, visit(name="R. Calloway"), opened.id, mary, if_version=1)
    with pytest.raises(SignInRefused, match="switched off"):
        sign_in(engine, "mary", "mary-password")


def test_the_last_admin_stays_an_admin(office):
    engine, ann, *_ = office
    for change in (lambda: set_role(engine, "ann", "coder", ann),
                   lambda: set_active(engine, "ann", False, ann)):
        with pytest.raises(EncoderError, match="only admin"):
            change()
    assert sign_in(engine, "ann", "ann-password").role == "admin"


def test_a_user_changes_their_own_password_but_not_anothers(office):
    engine, _ann, mary, fred = office
    set_password(engine, "fred", "fred-new-password", fred)
    assert sign_in(engine, "fred", "fred-new-password").name == "Fred"
    with pytest.raises(PermissionDenied, match="may not add or change user accounts"):
        set_password(engine, "fred", "mary-chose-this", mary)
    with pytest.raises(SignInRefused):
        sign_in(engine, "fred", "fred-password")
    entry = practice_trail(engine, 1)[0]
    assert (entry.subject, entry.after, entry.user) == ("user Fred.password", "changed", "Fred")
    assert "fred-new-password" not in repr(practice_trail(engine))


def test_only_an_admin_imports_a_release_and_the_import_is_in_the_practice_trail(office,
                                                                                 fixtures):
    from encoder_app.codebook.releases import list_releases
    from encoder_app.importers.runner import ImportJob

    engine, ann, mary, _fred = office
    tabular = fixtures / "pos" / "place_of_service.csv"
    with pytest.raises(PermissionDenied, match=r"Mary \(coder\) may not import"):
        for _step in ImportJob([tabular], engine, who=mary).run():
            pass
    assert list_releases(engine) == []
    job = ImportJob([tabular], engine, who=ann)
    for _step in job.run():
        pass
    assert [o.status for o in job.outcomes] == ["imported"]
    [entry] = [c for c in practice_trail(engine) if c.subject.startswith("release ")]
    assert (entry.user, entry.after) == ("Ann", "imported from place_of_service.csv")


def test_two_admins_demoting_each_other_at_once_leave_one_admin(office):
    import threading

    engine, ann, _mary, _fred = office
    add_user(engine, "Bea", "admin", "bea-password", ann)
    bea = sign_in(engine, "bea", "bea-password")
    start, outcomes = threading.Barrier(2), []

    def demote(who, other: str) -> None:
        start.wait()
        try:
            set_role(engine, other, "coder", who)
            outcomes.append("demoted")
        except EncoderError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=demote, args=a) for a in ((ann, "bea"), (bea, "ann"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    admins = [a.name for a in list_users(engine) if a.role == "admin" and a.active]
    assert len(admins) == 1, (admins, outcomes)
    assert outcomes.count("demoted") == 1
