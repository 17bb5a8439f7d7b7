"""A tiny library for the build-and-test example: greetings, politely."""


def greet(name: str, excited: bool = False) -> str:
    """Returns a greeting for `name`, with an exclamation mark when excited."""
    name = name.strip() or "world"
    return f"Hello, {name}{'!' if excited else '.'}"


def shout(name: str) -> str:
    """Returns the excited greeting in capitals."""
    return greet(name, excited=True).upper()
