package io.riskgate.api;

import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.jackson.TypeNameResolver;
import java.util.Set;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The names of the published document's schemas. springdoc names a schema by its class's simple name, so two classes
 * with one simple name share one schema, whichever was read first: {@code GET /api/v1/audit/verify} was documented
 * as answering the what-if's {@code Report} (candidate, changes) and {@code GET /api/v1/policies/{id}/diff} the
 * audit export's {@code Result}, and a client generated from the document read them as those. A nested class whose
 * simple name says nothing alone ({@link #GENERIC}) is named with its enclosing class: {@code WhatIfReport},
 * {@code AuditChainReport}, {@code PolicyDiffResult}, {@code AuditExportResult}, {@code FirmView} (a controller's
 * "Controller" left out). {@code OpenApiContractTest} fails when two classes a controller answers with still share
 * a name.
 */
@Configuration
class SchemaNames extends TypeNameResolver {

    /**
     * Simple names that several of the classes in answers have, or that say nothing alone: each nested class of such
     * a name is named with its enclosing class (a top-level class keeps its name).
     */
    static final Set<String> GENERIC = Set.of("Report", "Result", "View", "Page", "Summary", "Entry", "Event",
            "Change", "Item", "Multiplier");

    /** The resolver springdoc uses for every schema: the default one with these names. */
    @Bean
    ModelResolver riskgateModelResolver(ObjectMapperProvider mapper) {
        return new ModelResolver(mapper.jsonMapper(), this);
    }

    @Override
    protected String getNameOfClass(Class<?> cls) {
        return name(cls, super.getNameOfClass(cls));
    }

    /** The schema name of {@code cls}, whose default name is {@code simple}. */
    static String name(Class<?> cls, String simple) {
        Class<?> outer = cls.getEnclosingClass();
        if (outer == null || !GENERIC.contains(simple)) {
            return simple;
        }
        return outer.getSimpleName().replaceFirst("Controller$", "") + simple;
    }
}
