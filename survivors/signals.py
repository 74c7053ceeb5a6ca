"""Signals other rooms listen to.

``consent_withdrawn``: sent by ``survivors.services.consent_withdraw`` inside its transaction,
after the withdrawal is saved, with ``record`` (the ConsentRecord), ``actor`` and ``case``.
A receiver that raises undoes the withdrawal, so receivers do only what must go with it
(the referrals room revokes every active referral the consent covered).
"""

from django.dispatch import Signal

consent_withdrawn = Signal()
