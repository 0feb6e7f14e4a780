from . import food_order_confirm_wizard
from . import food_order_reassign_wizard
from . import food_phone_order_wizard
from . import food_quality_hold_wizard
from . import food_quality_release_wizard
from . import food_stock_check_wizard
from . import food_stock_out_wizard
from . import food_delay_date_wizard
