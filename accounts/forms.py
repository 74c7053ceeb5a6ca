"""Forms of the accounts room. They parse and check input; the services in ``services.py`` write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedForm
from core.models import Region

from .models import Organisation, Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
        help_text=_("6 digits. A new code appears every 30 seconds."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "maxlength": "8",
                "autofocus": True,
                "class": "code",
            }
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"]
        return token.strip()


class SetPasswordFields(forms.Form):
    """A new password typed twice."""

    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters; not a common password, not only digits, not like the username or name. "
            "Give it to the person in private; they should change it."
        ),
    )
    password_confirm = forms.CharField(
        label=_("Temporary password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_confirm") and data["password"] != data["password_confirm"]:
            self.add_error("password_confirm", _("The two passwords are not the same."))
        return data


def role_choices() -> list[tuple[str, Any]]:
    return list(Role.choices)


class UserFields(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=role_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Case roles see the case files of their case teams. Administrators manage people only."),
    )


class UserCreateForm(UserFields, SetPasswordFields):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    field_order = ["username", "first_name", "last_name", "email", "roles", "password", "password_confirm"]


class OrgAdminCreateForm(SetPasswordFields):
    """The first administrator of an organisation, created by a platform administrator."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    field_order = ["username", "first_name", "last_name", "email", "password", "password_confirm"]


class UserEditForm(VersionedForm, UserFields):
    pass


class PasswordResetForm(SetPasswordFields):
    reset_two_factor = forms.BooleanField(
        label=_("Reset two-factor authentication too"),
        required=False,
        help_text=_(
            "Tick this if the person lost their phone or authenticator app. "
            "At their next sign-in they set up a new one."
        ),
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, username or email")}),
    )


class OrganisationForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Organisation.Kind.choices)
    region = forms.CharField(
        label=_("Region code"),
        max_length=8,
        help_text=_("The Kemendagri code of the province (e.g. 53) or regency or city (e.g. 53.71)."),
        widget=forms.TextInput(attrs={"list": "region-codes", "autocomplete": "off", "class": "code"}),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=[("", _("From the region"))] + list(Organisation.TimeZone.choices),
        help_text=_("Times are shown to the organisation's people in this zone."),
    )

    def clean_region(self) -> str:
        region_code: str = self.cleaned_data["region"]
        code = region_code.strip()
        region = Region.objects.filter(code=code).only("level").first()
        if region is None:
            raise ValidationError(_("“%(code)s” is not a known region code."), params={"code": code})
        if region.level not in (Region.Level.PROVINCE, Region.Level.REGENCY):
            raise ValidationError(_("Choose a province or a regency or city, not a district."))
        return code


class OrganisationSearchForm(UserSearchForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name")}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, for example “monthly report export”."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The installation's longest life is the default; a shorter one is the owner's choice.
        most = int(settings.SINTAS_API_TOKEN_DAYS)
        field = self.fields["days"]
        field.initial = most
        field.validators.append(MaxValueValidator(most))
        field.widget.attrs["max"] = str(most)
        field.help_text = _("At most %(most)d days. The token stops working after that.") % {"most": most}
