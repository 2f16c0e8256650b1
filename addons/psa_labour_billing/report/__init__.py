from . import labour_unbilled_report
