from . import food_case_analysis
