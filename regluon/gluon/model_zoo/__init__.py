"""`gluon.model_zoo`: MXNet's vision models with MXNet's parameter names, so the
pretrained `.params` files MXNet published load here."""
from . import model_store, vision
from .vision import get_model
