<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<?cs if:Device.Mode == "entry" ?>
<p class="client"><?cs var:Msg.deviceEnterCode ?></p>
<?cs if:Device.Message ?><p class="message" role="alert" id="message"><?cs var:Device.Message ?></p><?cs /if ?>
<form method="post" action="<?cs var:Device.Action ?>" id="device">
<input type="hidden" name="csrf" value="<?cs var:Device.Csrf ?>">
<label for="user_code"><?cs var:Msg.deviceCode ?></label>
<input id="user_code" name="user_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" required autofocus placeholder="XXXX-XXXX" value="<?cs var:Device.UserCode ?>">
<button id="submit" type="submit"><?cs var:Msg.continue ?></button>
</form>
<?cs elif:Device.Mode == "approve" ?>
<p class="client"><?cs var:Msg.deviceAsks.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.deviceAsks.1 ?></p>
<p class="user-code"><?cs var:Msg.deviceCheckCode.0 ?><strong id="user-code"><?cs var:Device.UserCode ?></strong><?cs var:Msg.deviceCheckCode.1 ?></p>
<ul class="scopes">
<?cs each:s = Device.Scopes ?><li class="scope"><?cs var:s ?></li>
<?cs /each ?></ul>
<form method="post" action="<?cs var:Device.Action ?>" id="approval">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<button id="approve" type="submit" name="decision" value="approve"><?cs var:Msg.approve ?></button>
<button id="deny" type="submit" name="decision" value="deny" class="secondary"><?cs var:Msg.deny ?></button>
</form>
<?cs elif:Device.Mode == "approved" ?>
<p class="result" id="result" data-result="approved"><?cs var:Msg.deviceApproved.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.deviceApproved.1 ?></p>
<?cs else ?>
<p class="result" id="result" data-result="denied"><?cs var:Msg.deviceDenied.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.deviceDenied.1 ?><?cs if:Device.Message ?> <?cs var:Device.Message ?><?cs /if ?> <?cs var:Msg.deviceClosePage ?></p>
<?cs /if ?>
<?cs /def ?>
<?cs include!"layout.cs" ?>
