package dev.stateful.spring;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.SessionEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Make Boot's Hikari pool follow a {@code @WithVolume} container. Before the pool starts, its
 * connections are made to come from the handle (current port, current password); after each
 * reset, snapshot, dump restore and server start the pool drops its connections (soft
 * eviction: idle ones now, busy ones when returned), so the next repository call gets a new
 * connection instead of one the server ended. Only pools whose URL is the handle's are touched:
 * a second pool for another database is left alone.
 */
final class HikariFollower implements BeanPostProcessor, DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(HikariFollower.class);

    private final Class<?> owner;
    private final List<AutoCloseable> subscriptions = new CopyOnWriteArrayList<>();

    HikariFollower(Class<?> owner) {
        this.owner = owner;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari) {
            follow(hikari, beanName);
        }
        return bean;
    }

    private void follow(HikariDataSource hikari, String beanName) {
        StatefulPostgres db = VolumeOwner.handle(owner);
        if (hikari.getDataSource() != null || !db.jdbcUrl().equals(hikari.getJdbcUrl())) {
            return;
        }
        ConnectionGate gate;
        if (hikari.getHikariPoolMXBean() != null) {
            LOG.warn("Hikari pool '{}' of {} started before stateful-spring could make it follow the container; "
                    + "after a restart its connections may point at the old port", beanName, owner.getName());
            gate = new ConnectionGate();
        } else {
            HandleFollowingDataSource connections = new HandleFollowingDataSource(owner);
            hikari.setDataSource(connections);
            gate = connections.gate();
        }
        subscriptions.add(SessionEvents.listen(HandleAccess.server(db), new SessionEvents.Listener() {
            @Override
            public void sessionsEnding() {
                gate.close();
            }

            @Override
            public void sessionsEnded() {
                evict(hikari);
                gate.open();
            }
        }));
    }

    private static void evict(HikariDataSource hikari) {
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool != null && !hikari.isClosed()) {
            pool.softEvictConnections();
        }
    }

    @Override
    public void destroy() throws Exception {
        for (AutoCloseable subscription : subscriptions) {
            subscription.close();
        }
        subscriptions.clear();
    }
}
