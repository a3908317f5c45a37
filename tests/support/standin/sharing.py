"""Drive's roles and sharing policies, as Google documents them.

- Roles, weakest first: reader, commenter, writer, fileOrganizer (a shared drive's "Content
  manager"), organizer ("Manager"), owner ("Roles and permissions",
  https://developers.google.com/workspace/drive/api/guides/ref-roles).
- Deleting: files.delete "permanently deletes a file owned by the user ... If the file
  belongs to a shared drive, the user must be an organizer on the parent folder" (Drive v3
  discovery document). A Content manager may only move it to the trash.
- Sharing: ``writersCanShare`` is "whether users with only writer permission can modify the
  file's permissions" (adding or removing anyone but the owner); it is "not populated for
  items in shared drives", where writers share.
- Shared-drive restrictions (Drive v3 discovery document, ``Drive.restrictions``):
  ``domainUsersOnly`` ("restricted to users of the domain to which this shared drive
  belongs": teamDriveDomainUsersOnlyRestriction) and ``driveMembersOnly`` ("restricted to
  its members": teamDriveTeamMembersOnlyRestriction).
- An address with no Google account can only be invited with a notification email; without
  it Drive answers 400 invalidSharingRequest ("Since there is no Google account associated
  with this email address, you must check the "Notify people" box"), and shared drives do
  not take such addresses at all (cannotShareTeamDriveWithNonGoogleAccounts).
- A Workspace admin may turn off sharing outside the domain ("Manage external sharing for
  your organization", https://support.google.com/a/answer/60781): shareOutNotPermitted.
Reason names as in GAM's Drive error table (GAM-team/GAM src/gam/gamlib/glgapi.py).
"""

from __future__ import annotations

from .errors import ApiError, bad_request
from .model import ROLES, DriveFile, State

INSUFFICIENT = "The user does not have sufficient permissions for this file."
NO_ACCOUNT = ("Bad Request. User message: \"You are trying to invite {email}. Since there is no Google account "
              "associated with this email address, you must check the \"Notify people\" box to invite this "
              "recipient.\"")


def at_least(role: str | None, need: str) -> bool:
    return role is not None and ROLES.index(role) >= ROLES.index(need)


def may_change_permissions(file: DriveFile, role: str | None) -> bool:
    """Add or remove people: owners and a shared drive's managers always, writers where writersCanShare allows."""
    if at_least(role, "fileOrganizer"):
        return True
    return at_least(role, "writer") and (bool(file.drive_id) or file.writers_can_share)


def needed_to_delete(file: DriveFile) -> str:
    return "organizer" if file.drive_id else "owner"


def needed_to_trash(file: DriveFile) -> str:
    return "fileOrganizer" if file.drive_id else "owner"


def refuse_insufficient() -> ApiError:
    return ApiError(403, INSUFFICIENT, reason="insufficientFilePermissions")


def check_grantee(state: State, file: DriveFile, sharer: str, email: str, notify: bool) -> None:
    """Raise what Drive answers when ``email`` may not be given access to ``file`` (nothing when it may)."""
    drive = state.files.get(file.drive_id) if file.drive_id else None
    if email in state.realism.no_google_account:
        if drive is not None:
            raise ApiError(403, "Shared drive items cannot be shared with non-Google accounts.",
                           reason="cannotShareTeamDriveWithNonGoogleAccounts")
        if not notify:
            raise bad_request(NO_ACCOUNT.format(email=email), reason="invalidSharingRequest")
    if _domain(sharer) in state.realism.no_sharing_out and _domain(email) != _domain(sharer):
        raise ApiError(403, f"Sharing outside {_domain(sharer)} is turned off by your administrator.",
                       reason="shareOutNotPermitted")
    if drive is None:
        return
    if drive.restrictions.get("domainUsersOnly") and _domain(email) != drive.domain:
        raise ApiError(403, "The user does not have permission to share this item outside the shared drive's "
                            "domain.", reason="teamDriveDomainUsersOnlyRestriction")
    if drive.restrictions.get("driveMembersOnly") and email not in {p.email for p in drive.permissions}:
        raise ApiError(403, "Only members of the shared drive may be given access to its items.",
                       reason="teamDriveTeamMembersOnlyRestriction")


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()
