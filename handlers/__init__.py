"""The Telegram layer of Pandu: parse updates, call the engine, render the answers.

Split by kind (handlers per subject, :mod:`handlers.ui.keyboards`, the callback codec in
:mod:`handlers.ui.callback_data`, engine calls in :mod:`handlers.engine_calls`, what a
command or button names in :mod:`handlers.run_lookup`, the facts about the person acting in
:mod:`handlers.actor_facts`, every sentence in :mod:`handlers.ui.texts`);
:func:`handlers.registry.register` wires them into PTB.
"""
