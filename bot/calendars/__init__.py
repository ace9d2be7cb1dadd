"""The meeting in people's calendars, made by the bridge from its own record:
one ``CalendarEvent`` (``event``), written as an iCalendar file (``ics``) and
as Google Calendar and Outlook links (``links``)."""
