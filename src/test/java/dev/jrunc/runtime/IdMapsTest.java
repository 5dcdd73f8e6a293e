package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.IdMapping;
import dev.jrunc.spec.model.Process;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdMapsTest {

    private static IdMapping map(long c, long h, long s) throws IOException {
        return Json.mapper().readValue("{\"containerID\":" + c + ",\"hostID\":" + h + ",\"size\":" + s + "}", IdMapping.class);
    }

    @Test
    void onlyTheCallersOwnIdAloneIsWrittenDirectly() throws IOException {
        assertTrue(IdMaps.ownOnly(List.of(map(0, 1000, 1)), 1000));
        assertTrue(IdMaps.ownOnly(List.of(map(5, 1000, 1)), 1000));
        assertFalse(IdMaps.ownOnly(List.of(map(0, 1000, 2)), 1000));
        assertFalse(IdMaps.ownOnly(List.of(map(0, 1001, 1)), 1000));
        assertFalse(IdMaps.ownOnly(List.of(map(0, 1000, 1), map(1, 100000, 65536)), 1000));
        assertFalse(IdMaps.ownOnly(null, 1000));
    }

    @Test
    void mapTextIsOneLinePerMapping() throws IOException {
        assertEquals("0 1000 1\n1 100000 65536\n", IdMaps.text(List.of(map(0, 1000, 1), map(1, 100000, 65536))));
    }

    @Test
    void additionalGidsAreRefusedOnlyWhenUnprivileged() throws IOException, JruncException {
        Process p = Json.mapper().readValue("{\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[5]}}",
                Process.class);
        JruncException e = assertThrows(JruncException.class, () -> IdMaps.checkNoAdditionalGroups(p, 1000));
        assertEquals("cannot set any additional groups in a rootless container", e.getMessage());
        IdMaps.checkNoAdditionalGroups(p, 0);
        IdMaps.checkNoAdditionalGroups(Json.mapper().readValue("{\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0}}",
                Process.class), 1000);
    }
}
