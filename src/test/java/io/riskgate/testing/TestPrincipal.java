package io.riskgate.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * For API tests until riskgate authenticates requests itself: a request carrying {@value #HEADER} is made by a
 * principal of that name, as Spring MVC hands it to a controller's {@link Principal} parameter. Test code only;
 * a request without the header has no principal.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestPrincipal {

    public static final String HEADER = "X-Test-Principal";

    @Bean
    FilterRegistrationBean<Filter> testPrincipalFilter() {
        return new FilterRegistrationBean<>((request, response, chain) -> {
            String name = ((HttpServletRequest) request).getHeader(HEADER);
            chain.doFilter(name == null ? request : new HttpServletRequestWrapper((HttpServletRequest) request) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> name;
                }
            }, response);
        });
    }
}
