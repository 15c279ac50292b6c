"""Account rules on top of django-allauth: no open sign-up (people join through invitations)."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Organization members join through an invitation link (organizations.views.invitation_accept);
        # foundation staff are created by an administrator.
        return False
