"""The library as data: what it answers about itself."""

from __future__ import annotations

import pytest
from conftest import REPO

from poakit.model.library import Library
from poakit.source.library import read_library


@pytest.fixture(scope="module")
def library() -> Library:
    return read_library(REPO / "snippets")


@pytest.mark.parametrize(
    ("reason", "marketplace", "name"),
    [
        ("late-shipment-rate", "amazon.co.uk", "Late Dispatch Rate"),
        ("late-shipment-rate", "amazon.in", "Late Dispatch Rate"),
        ("late-shipment-rate", "amazon.com", "Late Shipment Rate"),
        ("pre-fulfillment-cancel-rate", "amazon.com", "Pre-fulfillment Cancel Rate"),
        (
            "pre-fulfillment-cancel-rate",
            "amazon.com.mx",
            "Pre-fulfilment Cancel Rate",
        ),  # none in English
        ("order-defect-rate", "amazon.nl", "Order Defect Rate"),  # not the Dutch name
        ("order-defect-rate", "amazon.example", "Order Defect Rate"),
        ("inauthentic", "amazon.com", "inauthentic"),  # no metric: the id
    ],
)
def test_a_store_names_a_metric_in_english_as_its_notices_do(
    library: Library, reason: str, marketplace: str, name: str
) -> None:
    assert library.metric_name(reason, marketplace) == name
