"""The Telegram layer of Pandu: parse updates, call the engine, render the answers.

Split by kind (handlers per subject, :mod:`handlers.keyboards`, the callback codec in
:mod:`handlers.callbacks`, engine access in :mod:`handlers.services`, every sentence in
:mod:`handlers.texts`); :func:`handlers.registry.register` wires them into PTB.
"""
