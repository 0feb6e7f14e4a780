from . import food_sales_platform
from . import product_template
from . import sale_order
from . import sale_order_line
from . import stock_move
