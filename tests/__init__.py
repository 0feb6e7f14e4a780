from . import test_sale_order
from . import test_access
from . import test_verification
from . import test_intake
from . import test_intake_channels
from . import test_translation
from . import test_tour
from . import test_tour_intake
