"""A password is typed twice on the officer's own change page and on an administrator's reset:
two different entries are refused beside the second field, two equal ones pass."""

import pytest

from core.forms import PasswordChangeForm, TemporaryPasswordForm


@pytest.mark.parametrize(
    ("form_class", "data", "second"),
    [
        (PasswordChangeForm, {"old_password": "old-Secret-1"}, ("new_password1", "new_password2")),
        (TemporaryPasswordForm, {}, ("password1", "password2")),
    ],
)
def test_two_different_entries_are_refused_beside_the_second(form_class, data, second):
    one, two = second
    differ = form_class({**data, one: "Tiger-lily-2017", two: "Tiger-lily-2018"})
    assert not differ.is_valid()
    assert list(differ.errors) == [two]
    assert (
        "differ" in differ.errors[two][0]
        or "不一致" in differ.errors[two][0]
        or "不同" in differ.errors[two][0]
    )
    same = form_class({**data, one: "Tiger-lily-2017", two: "Tiger-lily-2017"})
    assert same.is_valid(), same.errors
