import unittest

from greet import greet, shout


class GreetTest(unittest.TestCase):
    def test_plain(self):
        self.assertEqual(greet("Ada"), "Hello, Ada.")

    def test_excited(self):
        self.assertEqual(greet("Ada", excited=True), "Hello, Ada!")

    def test_blank_name(self):
        self.assertEqual(greet("  "), "Hello, world.")

    def test_shout(self):
        self.assertEqual(shout("ada"), "HELLO, ADA!")


if __name__ == "__main__":
    unittest.main()
