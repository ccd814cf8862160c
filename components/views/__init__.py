"""The page's views: what app.py calls to draw the analyst view, the briefing and the sidebar."""
