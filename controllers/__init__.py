from . import portal
from . import rpc
