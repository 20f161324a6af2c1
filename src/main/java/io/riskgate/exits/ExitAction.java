package io.riskgate.exits;

/**
 * What an exit instruction asks the caller to do. ERROR is not an exit: the rules could not be evaluated for the
 * trade, nothing about it changed, and the stop already in force stays in force (it never loosens).
 */
public enum ExitAction { MOVE_STOP, CLOSE_PARTIAL, CLOSE, ERROR }
