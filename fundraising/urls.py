app_name = "fundraising"

urlpatterns: list = []
