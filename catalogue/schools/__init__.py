"""Techniek beleven, the public side: the activities schools can book, under ``scholen/``."""
