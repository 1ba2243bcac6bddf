<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<?cs if:Device.Mode == "entry" ?>
<p class="client">Enter the code shown on your device.</p>
<?cs if:Device.Message ?><p class="message" role="alert" id="message"><?cs var:Device.Message ?></p><?cs /if ?>
<form method="post" action="<?cs var:Device.Action ?>" id="device">
<input type="hidden" name="csrf" value="<?cs var:Device.Csrf ?>">
<label for="user_code">Code</label>
<input id="user_code" name="user_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" required autofocus placeholder="XXXX-XXXX" value="<?cs var:Device.UserCode ?>">
<button id="submit" type="submit">Continue</button>
</form>
<?cs elif:Device.Mode == "approve" ?>
<p class="client"><strong class="client-name"><?cs var:Client.Name ?></strong> on your device asks for access to your account:</p>
<p class="user-code">Code <strong id="user-code"><?cs var:Device.UserCode ?></strong> — check that your device shows the same code.</p>
<ul class="scopes">
<?cs each:s = Device.Scopes ?><li class="scope"><?cs var:s ?></li>
<?cs /each ?></ul>
<form method="post" action="<?cs var:Device.Action ?>" id="approval">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<button id="approve" type="submit" name="decision" value="approve">Approve</button>
<button id="deny" type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>
<?cs elif:Device.Mode == "approved" ?>
<p class="result" id="result" data-result="approved">Done: <strong class="client-name"><?cs var:Client.Name ?></strong> is signed in. You may return to your device.</p>
<?cs else ?>
<p class="result" id="result" data-result="denied">Access denied: <strong class="client-name"><?cs var:Client.Name ?></strong> was not given access<?cs if:Device.Message ?> (<?cs var:Device.Message ?>)<?cs /if ?>. You may close this page.</p>
<?cs /if ?>
<?cs /def ?>
<?cs include!"layout.cs" ?>
