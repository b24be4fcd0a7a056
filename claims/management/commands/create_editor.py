import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create an editor: a staff user in the Editors group, who can log in to /admin/ and change "
        "letters, claims and responses. Asks for the password unless MISSIVE_EDITOR_PASSWORD is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called “{username}” already exists.")
        try:
            editors = Group.objects.get(name="Editors")
        except Group.DoesNotExist:
            raise CommandError(
                "The Editors group is missing: run `python manage.py migrate` first."
            )
        password = self.ask_password(User(username=username, email=email))
        user = User.objects.create_user(
            username=username, email=email, password=password, is_staff=True
        )
        user.groups.add(editors)
        self.stdout.write(self.style.SUCCESS(f"Editor “{username}” created. Log in at /admin/."))

    def ask_password(self, user):
        password = os.environ.get("MISSIVE_EDITOR_PASSWORD")
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        return password
