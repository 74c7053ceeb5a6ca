from django.http import HttpResponse


def login_view(request):
    return HttpResponse("")


otp_view = otp_setup_view = logout_view = login_view
