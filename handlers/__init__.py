"""The Telegram layer of Pandu: parse updates, call the engine, render the answers.

Split by kind (handlers per subject, :mod:`handlers.ui.keyboards`, the callback codec in
:mod:`handlers.ui.callback_data`, engine access in :mod:`handlers.services`, every sentence in
:mod:`handlers.ui.texts`); :func:`handlers.registry.register` wires them into PTB.
"""
