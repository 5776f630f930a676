"""The service assessment team's control room in the Wagtail admin: view sets for services, assessments,
panels, delivery teams, actions and reports, the "your actions" dashboard panel and the audit history.

Registered from workflow.wagtail_hooks. (Django's admin autodiscovery imports this package too, which is
why this module itself imports nothing.)"""
