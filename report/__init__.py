from . import food_analysis_mixin
from . import food_case_analysis
from . import food_staff_performance
from . import food_carrier_scorecard
from . import food_order_analysis
from . import food_order_line_analysis
from . import report_management
