// JNI entry points of io.zkperp.prover.NativeEdDsa. They copy the Java arrays onto the C stack and
// make a single call into Go (package sigverify), so a verification costs one C-to-Go transition
// and allocates nothing on either heap.
#include <jni.h>
#include "_cgo_export.h"

#define ZK_KEY_BYTES 64        // x then y, canonical big-endian
#define ZK_SIGNATURE_BYTES 64  // compressed R then S
#define ZK_MAX_MESSAGE 16      // elements
#define ZK_MALFORMED (-1)
#define ZK_BAD_ARGUMENT (-2)

static void *zk_table(JNIEnv *env, jobject table, jlong *capacity) {
	*capacity = 0;
	if (table == NULL) {
		return NULL;
	}
	void *addr = (*env)->GetDirectBufferAddress(env, table);
	if (addr != NULL) {
		*capacity = (*env)->GetDirectBufferCapacity(env, table);
	}
	return addr;
}

JNIEXPORT jint JNICALL Java_io_zkperp_prover_NativeEdDsa_verify(JNIEnv *env, jclass cls,
		jbyteArray key, jobject table, jbyteArray signature, jbyteArray message, jboolean prehash) {
	unsigned char k[ZK_KEY_BYTES], s[ZK_SIGNATURE_BYTES], m[ZK_MAX_MESSAGE * 32];
	if (key == NULL || signature == NULL || message == NULL) {
		return ZK_BAD_ARGUMENT;
	}
	jsize ml = (*env)->GetArrayLength(env, message);
	if ((*env)->GetArrayLength(env, key) != ZK_KEY_BYTES || ml <= 0 || ml % 32 != 0
			|| ml > (jsize) sizeof m) {
		return ZK_BAD_ARGUMENT;
	}
	jlong capacity;
	void *tab = zk_table(env, table, &capacity);
	if (table != NULL && tab == NULL) {
		return ZK_BAD_ARGUMENT; // not a direct buffer
	}
	if ((*env)->GetArrayLength(env, signature) != ZK_SIGNATURE_BYTES) {
		return ZK_MALFORMED;
	}
	(*env)->GetByteArrayRegion(env, key, 0, ZK_KEY_BYTES, (jbyte *) k);
	(*env)->GetByteArrayRegion(env, signature, 0, ZK_SIGNATURE_BYTES, (jbyte *) s);
	(*env)->GetByteArrayRegion(env, message, 0, ml, (jbyte *) m);
	return zkEdDsaVerify(k, tab, capacity, s, m, ml / 32, prehash ? 1 : 0);
}

JNIEXPORT jint JNICALL Java_io_zkperp_prover_NativeEdDsa_buildTable(JNIEnv *env, jclass cls,
		jbyteArray key, jobject table) {
	unsigned char k[ZK_KEY_BYTES];
	if (key == NULL || table == NULL || (*env)->GetArrayLength(env, key) != ZK_KEY_BYTES) {
		return ZK_BAD_ARGUMENT;
	}
	jlong capacity;
	void *tab = zk_table(env, table, &capacity);
	if (tab == NULL) {
		return ZK_BAD_ARGUMENT;
	}
	(*env)->GetByteArrayRegion(env, key, 0, ZK_KEY_BYTES, (jbyte *) k);
	return zkEdDsaBuildTable(k, tab, capacity);
}
