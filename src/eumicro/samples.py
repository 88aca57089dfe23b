"""Built-in sample credentials (fictitious institutions and people, real vocabularies).

>>> from eumicro import samples
>>> len(samples.names()) >= 6
True
>>> samples.load("secure-networks-de").title["de"]
'Sichere Netzwerke'
"""

from __future__ import annotations

from eumicro._samples import load, load_all, names

__all__ = ["load", "load_all", "names"]
