package io.riskgate.api;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The web layer's defences: a size limit on every request body ({@link RequestSizeLimits}), ahead of every other
 * filter that could read a body, and problem+json from Tomcat itself ({@link ProblemJsonValve}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RequestSizeLimits.Limits.class)
class WebHardening {

    @Bean
    FilterRegistrationBean<RequestSizeLimits> requestSizeLimits(RequestSizeLimits.Limits limits) {
        FilterRegistrationBean<RequestSizeLimits> r = new FilterRegistrationBean<>(new RequestSizeLimits(limits));
        // after only Spring Boot's character-encoding filter (HIGHEST_PRECEDENCE), which reads no body
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        r.addUrlPatterns("/*");
        return r;
    }

    /**
     * "100 Continue" only once the application reads the body: a client that waits for it before sending (curl
     * does past 1 MB) sends nothing when its body is refused by its declared length.
     */
    @Bean
    TomcatConnectorCustomizer continueOnRead() {
        return connector -> connector.setProperty("continueResponseTiming", "onRead");
    }

    @Bean
    ProblemJsonValve.Installer problemJsonValve() {
        return new ProblemJsonValve.Installer();
    }

    /**
     * JSON only: Spring registers a YAML converter whenever jackson-dataformat-yaml is on the classpath (riskgate
     * needs it for policies), which would let every endpoint read and write YAML bodies; the API documents JSON. JSON
     * answers are written whole, with their length ({@link SizedJson}).
     */
    @Bean
    org.springframework.web.servlet.config.annotation.WebMvcConfigurer jsonOnly() {
        return new org.springframework.web.servlet.config.annotation.WebMvcConfigurer() {
            @Override
            public void extendMessageConverters(
                    java.util.List<org.springframework.http.converter.HttpMessageConverter<?>> converters) {
                converters.removeIf(c -> c.getSupportedMediaTypes().stream().anyMatch(m ->
                        m.getSubtype().contains("yaml")));
                // JSON answers with their length, in one write (SizedJson)
                converters.replaceAll(c -> c.getClass() == org.springframework.http.converter.json
                        .MappingJackson2HttpMessageConverter.class ? new SizedJson(
                        (org.springframework.http.converter.json.MappingJackson2HttpMessageConverter) c) : c);
            }
        };
    }
}
