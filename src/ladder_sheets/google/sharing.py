"""Sharing refusals that concern one person, and the plain fix for each.

Drive refuses ``permissions.create`` for reasons about the address, not the run: no Google
account behind it, the Workspace admin's policy on sharing outside the domain, a shared
drive open to its domain or its members only. Such a refusal is that person's: it is
recorded with its fix and retried on the next run, and never stops anyone else's
spreadsheet. Reason names as Drive sends them (GAM's Drive error table lists them,
GAM-team/GAM src/gam/gamlib/glgapi.py; the Drive API's "Resolve errors" guide,
https://developers.google.com/drive/api/guides/handle-errors).
"""

from __future__ import annotations

NO_ACCOUNT = "{email} has no Google account: put their Google address in the roster"
_FIXES = {
    "invalidSharingRequest": NO_ACCOUNT,
    "cannotShareTeamDriveWithNonGoogleAccounts": NO_ACCOUNT,
    "shareOutNotPermitted": ("{email} is outside your domain and your Google Workspace admin allows no sharing "
                             "outside it: put their address in your domain in the roster, or ask the admin to allow "
                             "sharing with their domain"),
    "shareOutNotPermittedToUser": ("your Google Workspace admin does not allow sharing with {email}: put another "
                                   "address of theirs in the roster, or ask the admin"),
    "shareInNotPermitted": ("{email}'s organisation accepts no files shared from outside it: put an address that "
                            "can receive them in the roster"),
    "teamDriveDomainUsersOnlyRestriction": ("the shared drive allows only people in its domain, and {email} is "
                                            "outside it: put their address in the domain in the roster, or ask a "
                                            "manager of the shared drive to allow people outside the domain"),
    "teamDriveTeamMembersOnlyRestriction": ("the shared drive gives access to its members only, and {email} is not "
                                            "one: ask a manager of the shared drive to allow access for non-members "
                                            "(making them members would show them every file in the drive)"),
}


def refusal_fix(reasons: set[str], email: str) -> str:
    """The fix for a refusal that concerns ``email`` alone; "" when the refusal is not about the person."""
    for reason, fix in _FIXES.items():
        if reason in reasons:
            return fix.format(email=email)
    return ""
