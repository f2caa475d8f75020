"""Two wave edits at once cannot overfill a contract: the service locks the contract row."""

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from contracts.models import Contract
from rollout import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_edits_that_each_fit_cannot_both_succeed(make_contract, make_plan, cio):
    plan = make_plan(make_contract(organisation=cio.organisation, seats=1000), seats=(100, 200))
    first, second = plan.waves.order_by("order")
    # Alone, each fits: 700 + 200 and 100 + 800 are 900. Together they would be 1,500.
    edits = [(first, 700), (second, 800)]
    outcomes: list[str] = []
    started = threading.Barrier(len(edits) + 1)

    def edit(wave, seats):
        try:
            started.wait()
            change = services.WaveChange(
                **{**services.WaveChange.of(wave).__dict__, "seats": seats}
            )
            services.wave_update(actor=cio, wave=wave, change=change, today=dt.date(2026, 11, 23))
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=edit_args) for edit_args in edits]
    with transaction.atomic():
        # Hold the contract's lock so that both edits are waiting for it at the same time.
        Contract.objects.select_for_update().get(pk=plan.contract_id)
        for thread in threads:
            thread.start()
        started.wait()
        time.sleep(0.5)  # both edits now read and wait; without the lock, both would save
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "saved"]
    assert sum(plan.waves.values_list("seats", flat=True)) == 900
