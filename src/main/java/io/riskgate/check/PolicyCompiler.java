package io.riskgate.check;

import io.riskgate.exits.ExitProbe;
import io.riskgate.governor.GovernorProbe;
import io.riskgate.rules.RuleSetCompiler;
import java.util.List;

/**
 * The policy compiler every entry point uses (service, CLI, scenario tests, what-if): the rules layer's compiler
 * with the probes of the layers that run the rules, so a policy whose exit or governor rules throw on a sample
 * trade or account is refused at load, not met on a live account.
 */
public final class PolicyCompiler {

    private PolicyCompiler() {
    }

    public static RuleSetCompiler standard() {
        return new RuleSetCompiler(List.of(ExitProbe::problems, GovernorProbe::problems));
    }
}
