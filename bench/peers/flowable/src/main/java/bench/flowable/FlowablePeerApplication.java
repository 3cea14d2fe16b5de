package bench.flowable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Flowable peer of the community-cases benchmark: Flowable 7.1's process engine and REST API
 * (flowable-spring-boot-starter-process-rest) on PostgreSQL, with HTTP Basic users from Flowable's IDM, the
 * promotion process of processes/promotion.bpmn20.xml, and the settings in application.properties.
 * Started and driven by bench/peers/flowable.ts ({@code npm run bench -- --peer flowable}).
 */
@SpringBootApplication
public class FlowablePeerApplication {
    public static void main(String[] args) {
        SpringApplication.run(FlowablePeerApplication.class, args);
    }
}
