"""The one CallbackQueryHandler: decode the payload, then hand it to its handler.

A payload that does not decode (garbage, forged, from an older version) raises
CallbackError, which the error handler answers with a polite "no longer valid" alert.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from handlers import (
    catalog, catalog_review, delegations, monev, monev_survey, reports, roles, runs, task_buttons, tasks,
)
from handlers.ui import callback_data as cb
from handlers.common import acknowledge
from handlers.context import Context
from handlers.run_lookup import run_in_chat

Route = Callable[[Update, Context, Any], Awaitable[None]]


async def pick_run(update: Update, context: Context, data: cb.PickRun) -> None:
    """A run chosen from "which one?": carry on with the command that asked."""
    query = update.callback_query
    assert query is not None and query.message is not None
    run = await run_in_chat(context, data.run_id, query.message.chat.id)
    await acknowledge(query)
    if data.action == "status":
        await runs.show_status(update, context, run)
    elif data.action == "history":
        await runs.show_history(update, context, run)
    elif data.action == "cancel":
        await runs.ask_cancel(update, context, run)
    elif data.action in ("onbehalf", "done"):
        await tasks.show_current_for_on_behalf(update, context, run.id)
    elif data.action == "report":
        await reports.send_run_report(update, context, run)
    elif data.action == "flow":
        await reports.send_run_flow(update, context, run)
    else:
        await roles.show_roles(update, context, run)


ROUTES: dict[type[cb.Callback], Route] = {
    cb.Claim: roles.claim_button,
    cb.Release: roles.release_button,
    cb.Revoke: roles.revoke_button,
    cb.Approve: roles.approve_button,
    cb.Reject: roles.reject_button,
    cb.Done: task_buttons.done_button,
    cb.Decide: task_buttons.decide_button,
    cb.Undo: task_buttons.undo_button,
    cb.OnBehalf: task_buttons.on_behalf_button,
    cb.OnBehalfDecide: task_buttons.on_behalf_outcome_button,
    cb.PickRun: pick_run,
    cb.CancelRun: runs.cancel_button,
    cb.KeepRun: runs.keep_button,
    cb.SopPage: catalog.sop_page,
    cb.DraftFix: catalog_review.fix_button,
    cb.SopStatus: catalog.status_button,
    cb.SurveyAnswer: monev_survey.answer_button,
    cb.SurveyNote: monev_survey.note_button,
    cb.MonevSign: monev.paraf_button,
    cb.PlhAccept: delegations.accept_button,
    cb.PlhDecline: delegations.decline_button,
    cb.PlhAsk: delegations.ask_button,
    cb.PlhEnd: delegations.end_button,
}


async def on_button(update: Update, context: Context) -> None:
    """Route a pressed inline button by its payload type."""
    assert update.callback_query is not None
    if update.callback_query.message is None:  # inline-mode buttons are none of ours
        raise cb.CallbackError("no message")
    data = cb.decode(update.callback_query.data)
    route = ROUTES.get(type(data))
    if route is None:
        raise cb.CallbackError(f"no route for {data!r}")
    await route(update, context, data)
