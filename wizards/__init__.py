from . import food_order_confirm_wizard
from . import food_phone_order_wizard
