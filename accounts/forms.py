from django import forms


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    def signup(self, request, user):
        pass
