//! `crypto.randomUUID`, `crypto.getRandomValues`, `structuredClone`.

use v8::{ValueDeserializerHelper, ValueSerializerHelper};

use super::{error_triple, type_error};

/// RFC 9562 §5.4: a version-4 UUID from a CSPRNG.
pub fn random_uuid(
    scope: &mut v8::PinScope,
    _args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let uuid = format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    );
    rv.set(v8::String::new(scope, &uuid).unwrap().into());
}

/// `getRandomValues(view)`: fills the view in place (the glue validated it).
pub fn get_random_values(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    _rv: v8::ReturnValue<v8::Value>,
) {
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(0)) else {
        return type_error(scope, "getRandomValues needs an ArrayBufferView");
    };
    let Some(buffer) = view.buffer(scope) else {
        return;
    };
    let store = buffer.get_backing_store();
    let Some(data) = store.data() else { return };
    let (offset, len) = (view.byte_offset(), view.byte_length());
    // SAFETY: offset..offset+len lies inside the view's backing store.
    let bytes =
        unsafe { std::slice::from_raw_parts_mut((data.as_ptr() as *mut u8).add(offset), len) };
    rand::fill(bytes);
}

/// `structuredClone(value)`: V8's serializer, the same one `postMessage` uses.
pub fn structured_clone(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let value = args.get(0);
    let context = scope.get_current_context();
    v8::tc_scope!(let tc, scope);
    let serializer = v8::ValueSerializer::new(tc, Box::new(CloneDelegate));
    serializer.write_header();
    let written = serializer.write_value(context, value);
    if written != Some(true) || tc.has_caught() {
        let message = tc
            .exception()
            .map(|e| e.to_rust_string_lossy(tc))
            .unwrap_or_else(|| "The value could not be cloned.".into());
        tc.reset();
        rv.set(error_triple(
            tc,
            "DOMException",
            "DataCloneError",
            message.trim_start_matches("Error: "),
        ));
        return;
    }
    let data = serializer.release();
    let deserializer = v8::ValueDeserializer::new(tc, Box::new(CloneDelegate), &data);
    let _ = deserializer.read_header(context);
    match deserializer.read_value(context) {
        Some(copy) => rv.set(copy),
        None => rv.set(error_triple(
            tc,
            "DOMException",
            "DataCloneError",
            "The value could not be cloned.",
        )),
    }
}

struct CloneDelegate;

impl v8::ValueSerializerImpl for CloneDelegate {
    fn throw_data_clone_error<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        message: v8::Local<'s, v8::String>,
    ) {
        let error = v8::Exception::error(scope, message);
        scope.throw_exception(error);
    }
}

impl v8::ValueDeserializerImpl for CloneDelegate {}
